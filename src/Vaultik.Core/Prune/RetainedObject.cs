namespace Vaultik.Core.Prune;

/// <summary>
/// An object a prune or purge would have deleted but left alone because S3 Object Lock still retains it (until
/// <see cref="RetainUntil"/>; null when the store refused the delete without saying until when).
/// </summary>
public sealed record RetainedObject(string Key, DateTimeOffset? RetainUntil);
