using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalPruneSafetyTests : PruneSafetyTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
