using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

/// <summary>The tampering scenarios in an S3 bucket without versioning, where a plain PUT replaces an object for good.</summary>
public sealed class S3TamperingTests : TamperingTests
{
    protected override TestStore Store { get; } = new TestStore.S3();
}
