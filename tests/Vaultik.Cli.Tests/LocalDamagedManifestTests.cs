using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalDamagedManifestTests : DamagedManifestTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
