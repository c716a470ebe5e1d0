namespace Vaultik.Core.Storage;

/// <summary>What a store knows about one object without reading it.</summary>
public readonly record struct ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
