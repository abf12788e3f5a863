#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Établi needs, only those missing, saying what and why.
#   scripts/system-deps.sh run    → what serving needs
#   scripts/system-deps.sh test   → plus what the test suite starts (PostgreSQL, Chromium, IMAP…)
set -euo pipefail
mode="${1:-run}"

declare -A why=(
  [python3-venv]="environnement Python isolé (.venv)"
  [nodejs]="bibliothèques front-end (HTMX, Chart.js) depuis npm"
  [npm]="bibliothèques front-end (HTMX, Chart.js) depuis npm"
  [tesseract-ocr]="lecture (OCR) des documents scannés"
  [tesseract-ocr-fra]="OCR en français"
  [tesseract-ocr-eng]="OCR en anglais"
  [tesseract-ocr-osd]="OCR : détection des pages à l'envers"
  [ghostscript]="conversion PDF/A des documents scannés"
  [qpdf]="réparation des PDF abîmés"
  [unpaper]="redressement des scans"
  [pngquant]="compression des PDF scannés"
  [gettext]="traductions de l'interface"
  [build-essential]="compilation de llama-cpp-python (modèle de langage local)"
  [cmake]="compilation de llama-cpp-python (modèle de langage local)"
  [postgresql]="serveur PostgreSQL jetable pour les tests"
  [chromium]="navigateur réel pour les tests de l'interface"
  [dovecot-imapd]="serveur IMAP local pour les tests de réception de pièces jointes"
)

packages=(tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-osd ghostscript qpdf unpaper pngquant)
python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "$mode" = "test" ]; then
  packages+=(postgresql chromium dovecot-imapd build-essential cmake)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "Paquets système : tout est déjà installé."
  exit 0
fi

echo "Installation des paquets système manquants :"
for pkg in "${missing[@]}"; do echo "  - $pkg : ${why[$pkg]:-}"; done
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Erreur : il faut être root (ou avoir sudo) pour installer : ${missing[*]}" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "Avertissement : apt-get update a échoué, installation avec l'index existant."
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
