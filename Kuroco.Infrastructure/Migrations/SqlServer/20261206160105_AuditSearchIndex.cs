using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Action",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OccurredAtUtc",
                table: "AuditEntries");

            migrationBuilder.CreateTable(
                name: "AuditSavedFilters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OwnerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Query = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSavedFilters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditSavedFilters_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "Action", "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ActorName_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "ActorName", "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditSavedFilters_OwnerId",
                table: "AuditSavedFilters",
                column: "OwnerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditSavedFilters");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Action_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ActorName_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action",
                table: "AuditEntries",
                column: "Action");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OccurredAtUtc",
                table: "AuditEntries",
                column: "OccurredAtUtc");
        }
    }
}
