using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalOverwriteRestoreTests : OverwriteRestoreTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
