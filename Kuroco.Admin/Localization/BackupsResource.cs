namespace Kuroco.Admin;

/// <summary>Strings of /backups, its endpoints and the backup alarm card (Resources/BackupsResource(.ja).resx).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class BackupsResource;
