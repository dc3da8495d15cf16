using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ContentListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_Status_UpdatedAtUtc",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_UpdatedAtUtc",
                table: "ContentItems");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Published",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "PublishedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Slug",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "Slug" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Status",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "Status", "UpdatedAtUtc", "Id", "HasJa", "HasEn" },
                descending: new[] { false, false, false, true, true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Title",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "Title", "Id", "Slug" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_List_Updated",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "UpdatedAtUtc", "Id", "HasJa", "HasEn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Published",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Slug",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Status",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Title",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_List_Updated",
                table: "ContentItems");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_Status_UpdatedAtUtc",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "Status", "UpdatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_UpdatedAtUtc",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "UpdatedAtUtc" });
        }
    }
}
