// libxlsxwriter (Debian's libxlsxwriter-dev): writes .xlsx files; seen only by CapSimWorkbook.
#include <xlsxwriter.h>
