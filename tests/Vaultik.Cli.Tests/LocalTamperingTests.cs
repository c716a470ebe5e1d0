using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalTamperingTests : TamperingTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
