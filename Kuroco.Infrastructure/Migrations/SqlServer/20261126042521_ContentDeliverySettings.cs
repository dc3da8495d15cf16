using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ContentDeliverySettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CacheMaxAgeSeconds",
                table: "ContentTypes",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CacheStaleIfErrorSeconds",
                table: "ContentTypes",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CacheStaleWhileRevalidateSeconds",
                table: "ContentTypes",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "IsPublic",
                table: "ContentTypes",
                type: "bit",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
