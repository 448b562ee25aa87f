/* A command-line driver around non-B DB's motif finders (non-B_gfa, nBMST: Cer et al. 2011/2013),
 * for scripts/audit_tool_agreement.py. It is not part of mitbench and ships none of the tool's
 * code: it is compiled together with the tool's own sources, e.g.
 *
 *   GFA=/path/to/non-B_gfa      # a checkout of the tool (gfa.h, findDR.c, findIR.c, findMR.c, findSTR.c)
 *   gcc -O2 -I"$GFA" -o /tmp/nbmst_repeats scripts/nbmst_repeats.c \
 *       "$GFA"/findDR.c "$GFA"/findIR.c "$GFA"/findMR.c "$GFA"/findSTR.c
 *   /tmp/nbmst_repeats windows.fa [maxDRspacer=10] [minSTRbp=10] > repeats.tsv
 *
 * and calls them with gfa's defaults (IR arms >= 6, spacer <= 100, arms <= 9 only with spacer <= 4;
 * MR arms >= 10, spacer <= 100; DR arms 10-300, spacer <= maxDRspacer; STR unit 1-9, >= 3 copies,
 * >= minSTRbp), the finders gfa's main() runs, without its output files. Output, one line per
 * motif: record, family (IR MR DR STR), start, end (0-based, half-open).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfa.h"

/* the globals gfa.c defines and the four finders use, in gfa.c's order */
char dna[MAX_DNA + 1];
char dna3[MAX_DNA + 1];
REP mrep[MAX_REPS + 1];
REP irep[MAX_REPS + 1];
REP drep[MAX_REPS + 1];
REP srep[MAX_REPS + 1];

int findIR(int minIRrep, int maxIRspacer, int shortIRcut, int shortIRspacer, int total_bases);
int findMR(int minMRrep, int maxMRspacer, int total_bases);
int findDR(int minDRrep, int maxDRrep, int maxDRspacer, int total_bases);
int findSTR(int minSTR, int maxSTR, int minSTRbp, int minSTRreps, int total_bases);

static void emit(const char *name, const char *family, const REP *rep, int n) {
	for (int i = 0; i < n; i++) printf("%s\t%s\t%d\t%d\n", name, family, rep[i].start - 1, rep[i].end);
}

static int last_len = 0;

static void run(const char *name, const char *seq, int n, int dr_spacer, int str_bp) {
	/* gfa.c clears the sequence and the repeat arrays before each record */
	size_t clear = (size_t)(n > last_len ? n : last_len) + 1;
	memset(dna, 0, clear);
	memset(dna3, 0, clear);
	memset(mrep, 0, clear * sizeof(REP));
	memset(irep, 0, clear * sizeof(REP));
	memset(drep, 0, clear * sizeof(REP));
	memset(srep, 0, clear * sizeof(REP));
	last_len = n;
	for (int i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)seq[i]);
		dna[i] = c;
		dna3[i] = c == 'a' ? 't' : c == 'c' ? 'g' : c == 'g' ? 'c' : c == 't' ? 'a' : 'n';
	}
	emit(name, "IR", irep, findIR(6, 100, 9, 4, n));
	emit(name, "MR", mrep, findMR(10, 100, n));
	emit(name, "DR", drep, findDR(10, 300, dr_spacer, n));
	emit(name, "STR", srep, findSTR(1, 9, str_bp, 3, n));
}

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: %s in.fa [maxDRspacer=10] [minSTRbp=10]\n", argv[0]);
		return 1;
	}
	int dr_spacer = argc > 2 ? atoi(argv[2]) : 10, str_bp = argc > 3 ? atoi(argv[3]) : 10;
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	size_t cap = 1 << 20, n = 0;
	char *seq = malloc(cap), name[256] = "", line[1 << 16];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '>') {
			if (n) run(name, seq, (int)n, dr_spacer, str_bp);
			n = 0;
			sscanf(line + 1, "%255s", name);
			continue;
		}
		for (char *p = line; *p; p++) {
			if (!isalpha((unsigned char)*p)) continue;
			if (n + 1 >= cap) seq = realloc(seq, cap *= 2);
			seq[n++] = *p;
		}
	}
	if (n) run(name, seq, (int)n, dr_spacer, str_bp);
	fclose(f);
	return 0;
}
