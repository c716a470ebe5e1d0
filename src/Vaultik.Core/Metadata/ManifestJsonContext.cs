using System.Text.Json.Serialization;

namespace Vaultik.Core.Metadata;

/// <summary>Source-generated (NativeAOT-safe) JSON for manifests, with snake_case keys.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(SnapshotManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
