using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalStdinBackupTests : StdinBackupTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
