using Vaultik.Core.Storage;

namespace Vaultik.Core.Tests.Storage;

public sealed class MemoryObjectStoreTests : ObjectStoreConformanceTests
{
    protected override IObjectStore Store { get; } = new MemoryObjectStore();
}
