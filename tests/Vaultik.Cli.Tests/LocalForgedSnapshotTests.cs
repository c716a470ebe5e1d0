using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalForgedSnapshotTests : ForgedSnapshotTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
