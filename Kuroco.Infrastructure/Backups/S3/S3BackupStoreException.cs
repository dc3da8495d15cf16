namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>
/// The S3 backup store could not do its work: the message says which store (URL or region, bucket, prefix), what went
/// wrong (missing bucket, refused credentials, unreachable server) and which setting to check. It never quotes a secret.
/// An <see cref="IOException"/>: to the backup engine a store that fails is a failed write or read like a full disk.
/// </summary>
public sealed class S3BackupStoreException : IOException
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
