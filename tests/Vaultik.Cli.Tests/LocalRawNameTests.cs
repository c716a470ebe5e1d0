using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalRawNameTests : RawNameTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
