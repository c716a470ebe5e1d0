using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalRestoreFeatureTests : RestoreFeatureTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
