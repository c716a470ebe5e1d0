using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalBrowseTests : BrowseTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
