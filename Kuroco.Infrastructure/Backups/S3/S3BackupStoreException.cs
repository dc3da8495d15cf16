namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>
/// The S3 backup store could not do its work: the message says which store (URL or region, bucket, prefix), what went
/// wrong (missing bucket, refused credentials, unreachable server) and which setting to check. It never quotes a secret.
/// </summary>
public sealed class S3BackupStoreException : Exception
{
    public S3BackupStoreException()
    {
    }

    public S3BackupStoreException(string message)
        : base(message)
    {
    }

    public S3BackupStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
