using System.Text.Json.Serialization;

namespace Vaultik.Cli.Output;

/// <summary>Source-generated JSON for <c>--progress-json</c>: snake_case like <see cref="CliJsonContext"/>, but one line per object.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(ProgressJsonLine))]
internal sealed partial class ProgressJsonContext : JsonSerializerContext;
