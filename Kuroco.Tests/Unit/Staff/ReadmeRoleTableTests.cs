using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Staff;

/// <summary>
/// The role table at the top of README.md is what people read to learn who reaches what; the
/// authorization policies are what the app enforces. This test fails as soon as the two disagree.
/// </summary>
public sealed class ReadmeRoleTableTests
{
    private const string AreaPrefix = "Area.";

    [Fact]
    public void The_readme_role_table_lists_exactly_the_areas_each_role_reaches()
    {
        var table = ReadRoleTable();

        Assert.Equal(StaffRoles.All.Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        foreach (var role in StaffRoles.All)
        {
            var enforced = AreaPolicies.RolesByPolicy
                .Where(p => p.Value.Contains(role, StringComparer.Ordinal))
                .Select(p => p.Key[AreaPrefix.Length..])
                .Order(StringComparer.Ordinal);
            Assert.True(enforced.SequenceEqual(table[role].Order(StringComparer.Ordinal)),
                $"README.md says {role} reaches [{string.Join(", ", table[role])}], AreaPolicies says [{string.Join(", ", enforced)}].");
        }
    }

    [Fact]
    public void Every_area_policy_is_named_after_an_area()
    {
        Assert.All(AreaPolicies.RolesByPolicy.Keys, policy => Assert.StartsWith(AreaPrefix, policy, StringComparison.Ordinal));
        Assert.All(AreaPolicies.RolesByPolicy.Values, roles => Assert.Contains(StaffRoles.Administrator, roles));
    }

    [Theory]
    [InlineData("Content, Members", new[] { "Content", "Members" })]
    [InlineData("every area: Content, Jobs", new[] { "Content", "Jobs" })]
    [InlineData(" Backups ", new[] { "Backups" })]
    public void The_area_cell_is_read_as_a_list_of_area_names(string cell, string[] expected) =>
        Assert.Equal(expected, AreasIn(cell));

    /// <summary>role → the area names of the third column of the first table whose header starts with "| role |".</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadRoleTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| role |", StringComparison.Ordinal));
        Assert.True(header >= 0, "README.md has no table starting with \"| role |\".");
        var rows = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length == 3, $"Expected three columns (role, what they do, areas) in: {line}");
            rows.Add(cells[0], AreasIn(cells[2]));
        }
        return rows;
    }

    /// <summary>"every area: Content, Members" or "Content, Members": the names after an optional label.</summary>
    private static IReadOnlyList<string> AreasIn(string cell)
    {
        var colon = cell.IndexOf(':', StringComparison.Ordinal);
        var list = colon >= 0 ? cell[(colon + 1)..] : cell;
        return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
