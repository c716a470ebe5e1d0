using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class S3DiffTests : DiffTests
{
    protected override TestStore Store { get; } = new TestStore.S3();
}
