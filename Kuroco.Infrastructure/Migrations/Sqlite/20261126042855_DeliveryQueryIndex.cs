using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveryQueryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
