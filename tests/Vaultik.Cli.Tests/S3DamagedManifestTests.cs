using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class S3DamagedManifestTests : DamagedManifestTests
{
    protected override TestStore Store { get; } = new TestStore.S3();
}
