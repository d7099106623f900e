#!/usr/bin/env bash
# test/fuzz/run.sh [SECONDS]: fuzz the DVCQG sync parser (src/core/sync.c).
#
# Builds test/fuzz/fuzz_sync.c with clang and libFuzzer under
# AddressSanitizer and UBSan (any UBSan report is a crash), then runs it for
# SECONDS (default 20) over a copy of test/fuzz/corpus and test/fuzz/bad in
# a temporary folder, with a dictionary of the payload's member names.
# Prints one TAP line:
#   ok 1 - fuzz_sync ran N s, X execs, no crash
# or "not ok 1 - ..." with the fuzzer's report as "#" lines, and exits
# non-zero on a crash, a leak, a timeout, or a failed build.  On a crash the
# folder is kept (its path is printed) with the input that crashed.
#
# Longer runs, by hand (docs/sync.md):  bash test/fuzz/run.sh 3600
# Environment: FUZZ_CC (default clang), FUZZ_ARGS (more libFuzzer flags).

set -u
secs=${1:-20}
case "$secs" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || { command -v clang-14 >/dev/null 2>&1 && cc=clang-14; }
work=$(mktemp -d "${TMPDIR:-/tmp}/tthc-fuzz.XXXXXX")
keep=0
trap '[ "$keep" = 1 ] || rm -rf "$work"' EXIT

fail() {  # fail MESSAGE [LOG]
  echo "not ok 1 - fuzz_sync $1"
  [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 60 "$2" | sed 's/^/# /'
  exit 1
}

core="lunar calendar counters dossier step sync"
srcs=""
for f in $core; do srcs="$srcs $root/src/core/$f.c"; done

# shellcheck disable=SC2086
"$cc" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror \
  -I"$root/src" -o "$work/fuzz_sync" "$root/test/fuzz/fuzz_sync.c" $srcs \
  -lcjson -lm >"$work/build.log" 2>&1 \
  || fail "did not build with $cc" "$work/build.log"

mkdir "$work/corpus"
cp "$root"/test/fuzz/corpus/*.json "$root"/test/fuzz/bad/*.json "$work/corpus/"

# libFuzzer's dictionary: the members, codes and dates of the payloads
{
  for w in MaHoSo MaTTHC TenTTHC DonViXuLy TrangThaiHoSo KenhThucHien NgayNopHoSo \
           NgayTiepNhan NgayHenTra NgayTra NgayKetThucXuLy NgayTuChoi DuocThanhToanTrucTuyen \
           HoSoCoThanhPhanSoHoa TaiKhoanDuocXacThucVoiVNeID TaiLieuNop IsDeleted DuocSoHoa \
           DuocTaiSuDung DuocLayTuKhoDMQG DanhSachLePhi Gia DanhSachHoSoBoSung NgayBoSung \
           NgayTiepNhanBoSung NgayHenTraTruoc NgayHenTraMoi DanhSachGiayToKetQua \
           DuongDanTepTinKetQua PhongBanXuLy NguoiXuLy TrangThai ThoiDiemXuLy NgayBatDau \
           NgayKetThucTheoQuyDinh; do
    printf '"\\"%s\\":"\n' "$w"
  done
  for w in '"20250303090000"' '"20240229235959"' '"21991231235959"' '"19000101000000"' \
           '"0"' '"1"' '"2"' '"10"' 'true' 'false' 'null' '""' '[]' '{}' '1e400' '-0' \
           '9007199254740993' '"999999999999999999"' '\\u0000' '\\uD800' '\\u00e9'; do
    printf '"%s"\n' "$(printf '%s' "$w" | sed 's/"/\\"/g')"
  done
} >"$work/sync.dict"

# shellcheck disable=SC2086
"$work/fuzz_sync" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
  -rss_limit_mb=2048 -dict="$work/sync.dict" -artifact_prefix="$work/" \
  ${FUZZ_ARGS:-} "$work/corpus" >"$work/fuzz.log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
if [ "$rc" -ne 0 ]; then
  keep=1
  echo "# kept $work (crash input: $(ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | head -n 1))"
  fail "crashed (exit $rc) after ${execs:-?} execs" "$work/fuzz.log"
fi
[ -n "$execs" ] || fail "printed no statistics" "$work/fuzz.log"
echo "ok 1 - fuzz_sync ran $secs s, $execs execs, no crash"
