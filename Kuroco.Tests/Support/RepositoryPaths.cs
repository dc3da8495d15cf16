namespace Kuroco.Tests.Support;

public static class RepositoryPaths
{
    /// <summary>The folder holding Kuroco.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kuroco.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Kuroco.sln not found above " + AppContext.BaseDirectory);
    }
}
