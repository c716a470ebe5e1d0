using System.Text.Json.Serialization;

namespace Vaultik.Cli.Output;

/// <summary>Source-generated JSON (NativeAOT-safe) for everything the CLI prints with --json; keys are snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(JsonError))]
[JsonSerializable(typeof(List<SnapshotCreateJson>))]
[JsonSerializable(typeof(List<SnapshotListJson>))]
[JsonSerializable(typeof(RestoreJson))]
[JsonSerializable(typeof(StoreInfoJson))]
[JsonSerializable(typeof(StoreStatusJson))]
[JsonSerializable(typeof(CheckBucketJson))]
[JsonSerializable(typeof(ExtendRetentionJson))]
[JsonSerializable(typeof(KeygenJson))]
[JsonSerializable(typeof(PruneJson))]
[JsonSerializable(typeof(PurgeJson))]
[JsonSerializable(typeof(ForgetJson))]
[JsonSerializable(typeof(VerifyJson))]
[JsonSerializable(typeof(LsEntryJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
