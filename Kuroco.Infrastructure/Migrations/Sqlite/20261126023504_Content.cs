using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Content : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ContentTypes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ApiId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Fields = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentTypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ContentItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TypeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TypeApiId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    HasUnpublishedChanges = table.Column<bool>(type: "INTEGER", nullable: false),
                    PublishAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UnpublishAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    HasJa = table.Column<bool>(type: "INTEGER", nullable: false),
                    HasEn = table.Column<bool>(type: "INTEGER", nullable: false),
                    ValuesJa = table.Column<string>(type: "TEXT", nullable: false),
                    ValuesEn = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedJa = table.Column<string>(type: "TEXT", nullable: true),
                    PublishedEn = table.Column<string>(type: "TEXT", nullable: true),
                    VersionCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContentItems_ContentTypes_TypeId",
                        column: x => x.TypeId,
                        principalTable: "ContentTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ContentVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ValuesJa = table.Column<string>(type: "TEXT", nullable: false),
                    ValuesEn = table.Column<string>(type: "TEXT", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContentVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContentVersions_ContentItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_DeletedAtUtc",
                table: "ContentItems",
                column: "DeletedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_PublishAtUtc",
                table: "ContentItems",
                column: "PublishAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeApiId_Slug",
                table: "ContentItems",
                columns: new[] { "TypeApiId", "Slug" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeApiId_Status_PublishedAtUtc",
                table: "ContentItems",
                columns: new[] { "TypeApiId", "Status", "PublishedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_Status_UpdatedAtUtc",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "Status", "UpdatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeId_DeletedAtUtc_UpdatedAtUtc",
                table: "ContentItems",
                columns: new[] { "TypeId", "DeletedAtUtc", "UpdatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_TypeId_Slug",
                table: "ContentItems",
                columns: new[] { "TypeId", "Slug" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_UnpublishAtUtc",
                table: "ContentItems",
                column: "UnpublishAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_ContentTypes_ApiId",
                table: "ContentTypes",
                column: "ApiId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContentVersions_ItemId_Number",
                table: "ContentVersions",
                columns: new[] { "ItemId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContentVersions");

            migrationBuilder.DropTable(
                name: "ContentItems");

            migrationBuilder.DropTable(
                name: "ContentTypes");
        }
    }
}
