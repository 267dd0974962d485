#!/usr/bin/env bash
# Install the Debian packages Pressroom needs, only those missing.
#   runtime: CJK fonts, HarfBuzz subsetting (fast font subsetting in WeasyPrint), Pango
#   tests:   poppler-utils (pdftotext/pdffonts/pdftoppm), qpdf, a JRE with epubcheck,
#            LibreOffice Writer (DOCX -> PDF check), pandoc (benchmark peer)
set -euo pipefail
packages=(
  fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig
  poppler-utils qpdf default-jre-headless epubcheck libreoffice-writer-nogui pandoc
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "setup: not root and no sudo; install these yourself: apt-get install ${missing[*]}" >&2; exit 1
  fi
else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
