using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalDiffTests : DiffTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
