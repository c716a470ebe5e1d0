using System.Text.Json.Serialization;

namespace Vaultik.Core.Locking;

/// <summary>Source-generated JSON for lock objects (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StoreLock))]
internal sealed partial class LockJsonContext : JsonSerializerContext;
