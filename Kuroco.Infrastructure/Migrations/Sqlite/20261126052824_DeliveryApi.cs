using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveryApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ContentItems_TypeApiId_Slug",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_Status_UpdatedAtUtc",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_UpdatedAtUtc",
                table: "ContentItems");

            migrationBuilder.AddColumn<int>(
                name: "CacheMaxAgeSeconds",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CacheStaleIfErrorSeconds",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CacheStaleWhileRevalidateSeconds",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "IsPublic",
                table: "ContentTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ContentFieldValues",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TypeApiId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    FieldKey = table.Column<string>(type: "TEXT", maxLength: 65, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentFieldValues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContentFieldValues_ContentItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeApiId_Slug",
                table: "ContentItems",
                columns: new[] { "TypeApiId", "Slug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContentFieldValues_ItemId_Language_FieldKey_Value",
                table: "ContentFieldValues",
                columns: new[] { "ItemId", "Language", "FieldKey", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentFieldValues_TypeApiId_Language_FieldKey_Value_ItemId",
                table: "ContentFieldValues",
                columns: new[] { "TypeApiId", "Language", "FieldKey", "Value", "ItemId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContentFieldValues");

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

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_TypeApiId_Slug",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "CacheMaxAgeSeconds",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "CacheStaleIfErrorSeconds",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "CacheStaleWhileRevalidateSeconds",
                table: "ContentTypes");

            migrationBuilder.DropColumn(
                name: "IsPublic",
                table: "ContentTypes");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeApiId_Slug",
                table: "ContentItems",
                columns: new[] { "TypeApiId", "Slug" });

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
