/*
 * Evaluation of expressions. Arithmetic wraps in 64 bits (computed unsigned: no undefined behaviour),
 * division by zero is a located error. An address keeps its kind through address +/- integer, prints
 * in hex and compares unsigned (kernel addresses are "negative" as signed numbers).
 */
#include <inttypes.h>

#include "cli/cli.h"

const char *value_format(struct value val, char *buf, size_t size)
{
	if (val.kind == VAL_ADDR)
		snprintf(buf, size, "0x%" PRIx64, (uint64_t)val.v);
	else
		snprintf(buf, size, "%" PRId64, val.v);
	return buf;
}

/* a / b, b != 0: unsigned for addresses, signed otherwise (INT64_MIN / -1 wraps, as negation). */
static int64_t divide(struct value a, struct value b)
{
	if (a.kind == VAL_ADDR || b.kind == VAL_ADDR)
		return (int64_t)((uint64_t)a.v / (uint64_t)b.v);
	if (b.v == -1)
		return (int64_t)(0 - (uint64_t)a.v);
	return a.v / b.v;
}

bool value_compare(int op, struct value a, struct value b)
{
	bool uns = a.kind == VAL_ADDR || b.kind == VAL_ADDR;
	bool less = uns ? (uint64_t)a.v < (uint64_t)b.v : a.v < b.v;
	bool equal = a.v == b.v;

	switch (op) {
	case OP_EQ: return equal;
	case OP_NE: return !equal;
	case '<': return less;
	case OP_LE: return less || equal;
	case '>': return !less && !equal;
	default: return !less;	/* OP_GE */
	}
}

static int eval_binary(struct interp *in, const struct expr *e, struct value *out)
{
	struct value a, b;
	uint64_t ua, ub;
	int ret;

	if ((ret = eval(in, e->bin.lhs, &a)) || (ret = eval(in, e->bin.rhs, &b)))
		return ret;
	ua = (uint64_t)a.v;
	ub = (uint64_t)b.v;
	switch (e->bin.op) {
	case '+':
		/* address + integer and integer + address are addresses */
		*out = (struct value){ (int64_t)(ua + ub), a.kind == VAL_ADDR || b.kind == VAL_ADDR ? VAL_ADDR : VAL_INT };
		return 0;
	case '-':
		/* address - integer is an address; address - address is a distance */
		*out = (struct value){ (int64_t)(ua - ub), a.kind == VAL_ADDR && b.kind == VAL_INT ? VAL_ADDR : VAL_INT };
		return 0;
	case '*':
		*out = value_int((int64_t)(ua * ub));
		return 0;
	case '/':
		if (b.v == 0)
			return interp_error(in, e->loc, "division by zero");
		*out = value_int(divide(a, b));
		return 0;
	default:
		*out = value_int(value_compare(e->bin.op, a, b));
		return 0;
	}
}

static int eval_var(struct interp *in, const struct expr *e, struct value *out)
{
	struct value index = value_int(0);
	char buf[VALUE_BUFSZ];
	int ret;

	if (e->var.index && (ret = eval(in, e->var.index, &index)))
		return ret;
	if (vars_get(&in->vars, e->var.name, e->var.index != NULL, index.v, out))
		return 0;
	if (e->var.index)
		return interp_error(in, e->loc, "undefined variable %s[%s]", e->var.name,
				    value_format(index, buf, sizeof(buf)));
	return interp_error(in, e->loc, "undefined variable %s", e->var.name);
}

int eval(struct interp *in, const struct expr *e, struct value *out)
{
	int ret;

	switch (e->kind) {
	case EXPR_NUM:
		*out = e->num;
		return 0;
	case EXPR_VAR:
		return eval_var(in, e, out);
	case EXPR_PATH:
		return procfs_value(in, e->loc, e->path.path, e->path.key, out);
	case EXPR_NEG:
		if ((ret = eval(in, e->operand, out)))
			return ret;
		out->v = (int64_t)(0 - (uint64_t)out->v);
		out->kind = VAL_INT;
		return 0;
	default:
		return eval_binary(in, e, out);
	}
}

int eval_arg(struct interp *in, const struct arg *a, struct value *out)
{
	return eval(in, a->expr, out);
}

int eval_arg_range(struct interp *in, const struct arg *a, const char *what, int64_t min, int64_t max,
		   int64_t *out)
{
	struct value val;
	int ret = eval_arg(in, a, &val);

	if (ret)
		return ret;
	if (val.v < min || val.v > max)
		return interp_error(in, a->loc, "%s %" PRId64 " is out of range (%" PRId64 "..%" PRId64 ")", what,
				    val.v, min, max);
	*out = val.v;
	return 0;
}
