namespace Kuroco.Admin;

/// <summary>Open-redirect and header-injection safe return URLs: only paths of this site.</summary>
public static class LocalUrl
{
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048)
        {
            return false;
        }
        foreach (var c in url)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return false;
            }
        }
        // "/path" but not "//host" or "/\host"; "~/path" as ASP.NET allows.
        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }
        return url.Length > 1 && url[0] == '~' && url[1] == '/' && (url.Length == 2 || (url[2] != '/' && url[2] != '\\'));
    }

    public static string OrRoot(string? url) => IsLocal(url) ? url! : "/";
}
