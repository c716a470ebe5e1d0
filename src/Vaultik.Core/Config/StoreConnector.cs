using Vaultik.Core.Storage;

namespace Vaultik.Core.Config;

/// <summary>Opens the store a config names, wrapped for retries (and fault injection when testing asks for it).</summary>
public static class StoreConnector
{
    public static IObjectStore Open(VaultikConfig config) => ObjectStoreFactory.Create(config.StorageUrl, config.S3, config.UploadConcurrency);
}
