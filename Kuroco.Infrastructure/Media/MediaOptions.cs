namespace Kuroco.Infrastructure.Media;

/// <summary>Settings under Kuroco:Media.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Kuroco:Media";

    public const long DefaultMaxUploadBytes = 20L * 1024 * 1024;

    /// <summary>Largest file accepted (413 beyond it). Default 20 MiB.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    public bool IsValid() => MaxUploadBytes is > 0 and <= 2L * 1024 * 1024 * 1024;
}
