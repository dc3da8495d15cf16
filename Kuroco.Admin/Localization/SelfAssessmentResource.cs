namespace Kuroco.Admin;

/// <summary>Marker for the strings of the security self-assessment (page, CSV, PDF): Resources/SelfAssessmentResource.resx and .ja.resx.</summary>
#pragma warning disable CA1812 // Used only as the type argument of IStringLocalizer<T>.
internal sealed class SelfAssessmentResource;
#pragma warning restore CA1812
