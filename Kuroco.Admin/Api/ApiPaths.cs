namespace Kuroco.Admin.Api;

/// <summary>Where the versioned API lives.</summary>
public static class ApiPaths
{
    public const string V1 = "/api/v1";

    public static bool IsV1(PathString path) => path.StartsWithSegments(V1, StringComparison.OrdinalIgnoreCase);
}
