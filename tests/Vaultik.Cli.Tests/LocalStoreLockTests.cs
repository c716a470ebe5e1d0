using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalStoreLockTests : StoreLockTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
