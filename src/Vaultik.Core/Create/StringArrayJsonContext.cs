using System.Text.Json.Serialization;

namespace Vaultik.Core.Create;

/// <summary>Source-generated JSON for plain string arrays (the <c>paths</c> row of the snapshot table).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class StringArrayJsonContext : JsonSerializerContext;
