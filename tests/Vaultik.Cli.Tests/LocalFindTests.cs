using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalFindTests : FindTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
