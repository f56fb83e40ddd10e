# Host unit tests: tests/unit/test_<name>.c plus these extra sources, built
#   cc -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -o build/tests/test_<name> \
#      tests/unit/test_<name>.c $(UNIT_SRC_<name>) -lcmocka
# lib/string.c is not linked: the host libc provides those functions.
UNIT_TESTS := stats csv options ssdt_entry checksum crc_hist_tsc
UNIT_SRC_stats := bench/stats.c
UNIT_SRC_csv := bench/csv.c bench/stats.c lib/fmt.c
UNIT_SRC_options := lib/options.c lib/fmt.c lib/mitig.c
UNIT_SRC_ssdt_entry :=
UNIT_SRC_checksum :=
UNIT_SRC_crc_hist_tsc := lib/crc32.c lib/tscfreq.c bench/hist.c lib/fmt.c
UNIT_TESTS += desc
UNIT_SRC_desc := lib/desc.c lib/fmt.c
UNIT_TESTS += host_control
UNIT_SRC_host_control := host/control.c lib/crc32.c host/env.c host/perf.c
UNIT_TESTS += pmu
UNIT_SRC_pmu := lib/pmu.c
UNIT_TESTS += rowstats
UNIT_SRC_rowstats := bench/rowstats.c bench/stats.c bench/hist.c lib/fmt.c
UNIT_TESTS += qr
UNIT_SRC_qr := lib/qr.c
UNIT_TESTS += qrchunk
UNIT_SRC_qrchunk := lib/qrchunk.c lib/qr.c lib/crc32.c
UNIT_TESTS += qr_options
UNIT_SRC_qr_options := lib/options.c lib/fmt.c lib/mitig.c
UNIT_TESTS += qr_payload
UNIT_SRC_qr_payload := kernel/qr_payload.c lib/crc32.c lib/fmt.c
UNIT_TESTS += mitig
UNIT_SRC_mitig := lib/mitig.c lib/fmt.c
