using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalForgedRootTests : ForgedRootTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
