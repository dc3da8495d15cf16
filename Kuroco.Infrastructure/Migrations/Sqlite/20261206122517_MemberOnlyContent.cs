using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MemberOnlyContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentFieldValues_TypeApiId_Language_FieldKey_Value_ItemId",
                table: "ContentFieldValues");

            migrationBuilder.AddColumn<string>(
                name: "RestrictedToGroups",
                table: "ContentTypes",
                type: "TEXT",
                maxLength: 740,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RestrictedToGroups",
                table: "ContentItems",
                type: "TEXT",
                maxLength: 740,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Restricted",
                table: "ContentFieldValues",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_ContentFieldValues_TypeApiId_Language_FieldKey_Value_ItemId_Restricted",
                table: "ContentFieldValues",
                columns: new[] { "TypeApiId", "Language", "FieldKey", "Value", "ItemId", "Restricted" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentFieldValues_TypeApiId_Language_FieldKey_Value_ItemId_Restricted",
                table: "ContentFieldValues");

            migrationBuilder.DropColumn(
                name: "RestrictedToGroups",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "RestrictedToGroups",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "Restricted",
                table: "ContentFieldValues");

            migrationBuilder.CreateIndex(
                name: "IX_ContentFieldValues_TypeApiId_Language_FieldKey_Value_ItemId",
                table: "ContentFieldValues",
                columns: new[] { "TypeApiId", "Language", "FieldKey", "Value", "ItemId" });
        }
    }
}
