using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <summary>
    /// A field's one label ("Label" in the ContentTypes.Fields JSON) becomes an English and a Japanese label
    /// ("LabelEn", "LabelJa"), both set to the old label. The fields keep their order and every other property.
    /// </summary>
    public partial class FieldLabelsInTwoLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "ContentTypes"
                SET "Fields" = (
                    SELECT json_group_array(json(json_set(json_remove(f.value, '$.Label'),
                        '$.LabelEn', coalesce(json_extract(f.value, '$.Label'), ''),
                        '$.LabelJa', coalesce(json_extract(f.value, '$.Label'), ''))) ORDER BY f.key)
                    FROM json_each("ContentTypes"."Fields") AS f)
                WHERE json_valid("Fields")
                  AND EXISTS (SELECT 1 FROM json_each("ContentTypes"."Fields") AS g WHERE json_type(g.value, '$.Label') IS NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One label again: the English one, else the Japanese one.
            migrationBuilder.Sql("""
                UPDATE "ContentTypes"
                SET "Fields" = (
                    SELECT json_group_array(json(json_set(json_remove(f.value, '$.LabelEn', '$.LabelJa'),
                        '$.Label', coalesce(nullif(json_extract(f.value, '$.LabelEn'), ''), json_extract(f.value, '$.LabelJa'), ''))) ORDER BY f.key)
                    FROM json_each("ContentTypes"."Fields") AS f)
                WHERE json_valid("Fields")
                  AND EXISTS (SELECT 1 FROM json_each("ContentTypes"."Fields") AS g
                              WHERE json_type(g.value, '$.LabelEn') IS NOT NULL OR json_type(g.value, '$.LabelJa') IS NOT NULL);
                """);
        }
    }
}
