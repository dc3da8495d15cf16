namespace Kuroco.Admin;

/// <summary>Marker for the strings of the monthly audit review: Resources/AuditReviewResource.resx (English) and .ja.resx (Japanese).</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class AuditReviewResource;
