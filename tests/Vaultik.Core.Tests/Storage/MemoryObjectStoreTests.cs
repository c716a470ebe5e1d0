using Vaultik.Core.Storage;
using Vaultik.Testing;

namespace Vaultik.Core.Tests.Storage;

public sealed class MemoryObjectStoreTests : ObjectStoreConformanceTests
{
    protected override IObjectStore Store { get; } = new MemoryObjectStore();
}
