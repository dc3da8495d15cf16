using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <summary>
    /// A field's one label ("Label" in the ContentTypes.Fields JSON) becomes an English and a Japanese label
    /// ("LabelEn", "LabelJa"), both set to the old label. The fields keep their order and every other property.
    /// OPENJSON, JSON_MODIFY and STRING_AGG … WITHIN GROUP: SQL Server 2017 or later (compatibility level 130+).
    /// </summary>
    public partial class FieldLabelsInTwoLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE [ContentTypes]
                SET [Fields] = N'[' + COALESCE((
                    SELECT STRING_AGG(CAST(JSON_MODIFY(JSON_MODIFY(JSON_MODIFY(f.[value],
                            '$.LabelEn', COALESCE(JSON_VALUE(f.[value], '$.Label'), N'')),
                            '$.LabelJa', COALESCE(JSON_VALUE(f.[value], '$.Label'), N'')),
                            '$.Label', NULL) AS nvarchar(max)), N',') WITHIN GROUP (ORDER BY CAST(f.[key] AS int))
                    FROM OPENJSON([ContentTypes].[Fields]) AS f), N'') + N']'
                WHERE ISJSON([Fields]) = 1
                  AND EXISTS (SELECT 1 FROM OPENJSON([ContentTypes].[Fields]) AS g WHERE JSON_VALUE(g.[value], '$.Label') IS NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One label again: the English one, else the Japanese one.
            migrationBuilder.Sql("""
                UPDATE [ContentTypes]
                SET [Fields] = N'[' + COALESCE((
                    SELECT STRING_AGG(CAST(JSON_MODIFY(JSON_MODIFY(JSON_MODIFY(f.[value],
                            '$.Label', COALESCE(NULLIF(JSON_VALUE(f.[value], '$.LabelEn'), N''), JSON_VALUE(f.[value], '$.LabelJa'), N'')),
                            '$.LabelEn', NULL),
                            '$.LabelJa', NULL) AS nvarchar(max)), N',') WITHIN GROUP (ORDER BY CAST(f.[key] AS int))
                    FROM OPENJSON([ContentTypes].[Fields]) AS f), N'') + N']'
                WHERE ISJSON([Fields]) = 1
                  AND EXISTS (SELECT 1 FROM OPENJSON([ContentTypes].[Fields]) AS g
                              WHERE JSON_VALUE(g.[value], '$.LabelEn') IS NOT NULL OR JSON_VALUE(g.[value], '$.LabelJa') IS NOT NULL);
                """);
        }
    }
}
