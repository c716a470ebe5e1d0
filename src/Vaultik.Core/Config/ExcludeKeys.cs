namespace Vaultik.Core.Config;

/// <summary>
/// The exclude keys beyond <c>exclude</c>, as one config level states them: <c>exclude_caches</c>,
/// <c>exclude_if_present</c> and <c>exclude_larger_than</c> (null where the level does not set them).
/// </summary>
public sealed record ExcludeKeys(bool? Caches, IReadOnlyList<string> IfPresent, long? LargerThan)
{
    public static readonly ExcludeKeys None = new(null, [], null);
}
