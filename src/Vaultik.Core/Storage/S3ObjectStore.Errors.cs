using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Vaultik.Core.Storage;

public sealed partial class S3ObjectStore
{
    /// <summary>Runs an S3 call and turns every failure into a one-line <see cref="StorageException"/>.</summary>
    private async Task<T> Call<T>(string verb, string key, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
            throw new ObjectNotFoundException(key, ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed || ex.ErrorCode == "PreconditionFailed")
        {
            throw new ObjectAlreadyExistsException(key, ex);
        }
        catch (AmazonS3Exception ex)
        {
            throw Describe(verb, key, ex);
        }
        catch (Exception ex) when (FindSocketError(ex) is { } socket)
        {
            throw new StorageException($"cannot reach s3 endpoint {Endpoint}: {Lower(socket.Message)}", ex, isTransient: true);
        }
        catch (AmazonServiceException ex)
        {
            throw new StorageException($"cannot {verb} {key} in {Location}: {ex.Message}", ex, isTransient: true);
        }
        catch (HttpRequestException ex)
        {
            throw new StorageException($"cannot reach s3 endpoint {Endpoint}: {Lower(ex.Message)}", ex, isTransient: true);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageException($"cannot {verb} {key} in {Location}: timed out", ex, isTransient: true);
        }
    }

    private string Endpoint => _options.Endpoint ?? $"s3.{_options.Region}.amazonaws.com";

    private StorageException Describe(string verb, string key, AmazonS3Exception ex)
    {
        var code = string.IsNullOrEmpty(ex.ErrorCode) ? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : ex.ErrorCode;
        return code switch
        {
            "NoSuchBucket" => new StorageException($"cannot access bucket {_options.Bucket} at {Endpoint}: bucket does not exist (NoSuchBucket)", ex),
            "AccessDenied" =>
                new StorageException($"cannot {verb} {key} in {Location}: access denied (AccessDenied): these credentials may not {verb} it (see the role policies in docs/SECURITY.md)", ex),
            "403" or "Forbidden" =>
                new StorageException($"cannot {verb} {key} in {Location}: access denied (403, no reason given); check the access key and secret, and the rights these credentials have", ex),
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" =>
                new StorageException($"cannot {verb} {key} in {Location}: access denied ({code}); check the access key and secret", ex),
            _ => new StorageException(
                $"cannot {verb} {key} in {Location}: {code}{(string.IsNullOrEmpty(ex.Message) ? string.Empty : " " + ex.Message)}",
                ex,
                isTransient: (int)ex.StatusCode >= 500 || code is "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable" or "RequestTimeTooSkewed"),
        };
    }

    private static SocketException? FindSocketError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }

    private static string Lower(string message) => message.Length == 0 ? message : char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
}
