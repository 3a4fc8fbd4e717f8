/*
 * test_images.c: the built-in programs as the boot block gets them
 * (src/session/images.c). Every /bin/NAME lies in the region of exec
 * images, whole pages that lde's own file holds at the offset found, so
 * that the boot block can map them instead of copying (docs/isa.md §9).
 * Were the region not found, runs would still be right, only slower. This
 * test checks the logic in its own executable (a PIE under the
 * sanitizers); e2e_maps_builtins checks that the real lde, static and not
 * a PIE, maps the region when it runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_file.h"
#include "embed.h"
#include "images.h"

static void builtins_lie_in_a_mappable_region(void **state)
{
    (void)state;
    struct image_files t;
    char err[256];
    assert_int_equal(
        image_files_open(&t, NULL, 0, NULL, NULL, 0, err, sizeof err), 0);
    const struct boot_region *r = &t.region;
    assert_true(r->size > 0);
    assert_int_equal((uintptr_t)r->data % BOOT_PAGE, 0);
    assert_int_equal(r->size % BOOT_PAGE, 0);
    assert_true(r->fd >= 0);
    assert_int_equal(r->off % BOOT_PAGE, 0);
    unsigned char *file = malloc(r->size);
    assert_non_null(file);
    assert_int_equal(pread(r->fd, file, r->size, (off_t)r->off),
                     (ssize_t)r->size);
    assert_memory_equal(file, r->data, r->size);
    free(file);

    unsigned nbin = 0;
    for (unsigned i = 0; i < t.n; i++) {
        const struct boot_file_spec *f = &t.f[i];
        if (strncmp(f->path, "/bin/", 5) != 0)
            continue;
        nbin++;
        const struct lde_image *im = lde_image_find(f->path + 5);
        assert_non_null(im);
        /* In the region, page-aligned, and the program's exec image. */
        uintptr_t at = (uintptr_t)f->data - (uintptr_t)r->data;
        assert_true((uintptr_t)f->data >= (uintptr_t)r->data);
        assert_true(at + f->size <= r->size);
        assert_int_equal(at % BOOT_PAGE, 0);
        assert_int_equal(f->size, elf_exec_extent(im->data, im->size));
        assert_memory_equal(f->data, im->data, f->size);
        /* Padded with zeros to its page's end. */
        for (size_t k = f->size; k % BOOT_PAGE != 0; k++)
            assert_int_equal(f->data[k], 0);
    }
    assert_int_equal(nbin + 1, lde_nimages); /* every one but the kernel */
    image_files_close(&t);
}

/* A built-in program on the command line: its exec image is the one in
 * the region, so the boot block writes it once. */
static void command_line_program_shares_its_image(void **state)
{
    (void)state;
    char err[256];
    struct elf_file *hello = image_open_program("hello", err, sizeof err);
    assert_non_null(hello);
    const unsigned char *exec = image_exec(hello);
    assert_non_null(exec);
    const struct lde_image *im = lde_image_find("hello");
    assert_ptr_equal(exec, im->exec);
    struct image_files t;
    const char *argv0 = "hello";
    assert_int_equal(
        image_files_open(&t, NULL, 0, &hello, &argv0, 1, err, sizeof err), 0);
    assert_string_equal(t.f[0].path, "hello");
    assert_ptr_equal(t.f[0].data, exec);
    image_files_close(&t);
    elf_close(hello);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtins_lie_in_a_mappable_region),
        cmocka_unit_test(command_line_program_shares_its_image),
    };
    return cmocka_run_group_tests_name("images", tests, NULL, NULL);
}
