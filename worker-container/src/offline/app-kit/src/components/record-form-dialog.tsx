import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { validate, type FieldDefinition, type FormErrors, type FormValues } from '@/lib/record-fields';
import { cn } from '@/lib/utils';

export type RecordFormDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  fields: readonly FieldDefinition[];
  title: string;
  description: string;
  submitLabel: string;
  initialValues: FormValues;
  /** Saves the values; the dialog stays open (and shows the button as busy) until it settles. */
  onSubmit: (values: FormValues) => Promise<void>;
};

/** The create/edit form of one record, generated from the field list, in a dialog. */
export function RecordFormDialog({ open, onOpenChange, ...formProps }: RecordFormDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-xl">
        {/* Content unmounts when closed, so every opening starts from initialValues. */}
        <RecordForm {...formProps} />
      </DialogContent>
    </Dialog>
  );
}

function RecordForm({
  fields,
  title,
  description,
  submitLabel,
  initialValues,
  onSubmit,
}: Omit<RecordFormDialogProps, 'open' | 'onOpenChange'>) {
  const idPrefix = useId();
  const [values, setValues] = useState<FormValues>(initialValues);
  const [errors, setErrors] = useState<FormErrors>({});
  const [saving, setSaving] = useState(false);

  function setValue(key: string, value: string | boolean) {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      if (!(key in current)) return current;
      const rest = { ...current };
      delete rest[key];
      return rest;
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validate(fields, values);
    setErrors(found);
    const firstInvalid = fields.find((field) => found[field.key]);
    if (firstInvalid) {
      document.getElementById(`${idPrefix}-${firstInvalid.key}`)?.focus();
      return;
    }
    setSaving(true);
    // The caller reports failures (a toast); either way the form stops showing progress.
    const done = () => setSaving(false);
    onSubmit(values).then(done, done);
  }

  return (
    <form noValidate onSubmit={submit} className="grid gap-5">
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      <div className="grid gap-4 sm:grid-cols-2">
        {fields.map((field, index) => (
          <FieldControl
            key={field.key}
            id={`${idPrefix}-${field.key}`}
            field={field}
            value={values[field.key]}
            error={errors[field.key]}
            wide={index === 0 || field.kind === 'longtext'}
            autoFocus={index === 0}
            onChange={(value) => setValue(field.key, value)}
          />
        ))}
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

const inputTypes: Partial<Record<FieldDefinition['kind'], string>> = {
  email: 'email',
  url: 'url',
  phone: 'tel',
  number: 'number',
  money: 'number',
  date: 'date',
};

const placeholders: Partial<Record<FieldDefinition['kind'], string>> = {
  email: 'name@example.com',
  url: 'example.com',
  phone: '+1 555 010 0000',
  money: '0.00',
  number: '0',
};

type FieldControlProps = {
  id: string;
  field: FieldDefinition;
  value: string | boolean | undefined;
  error: string | undefined;
  wide: boolean;
  autoFocus: boolean;
  onChange: (value: string | boolean) => void;
};

function FieldControl({ id, field, value, error, wide, autoFocus, onChange }: FieldControlProps) {
  const errorId = `${id}-error`;
  const invalid = error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
  const text = typeof value === 'string' ? value : '';

  if (field.kind === 'boolean') {
    return (
      <div className={cn('flex items-center gap-2 self-end sm:h-9', wide && 'sm:col-span-2')}>
        <Checkbox id={id} checked={value === true} onCheckedChange={(checked) => onChange(checked === true)} />
        <Label htmlFor={id} className="font-normal">
          {field.label}
        </Label>
      </div>
    );
  }

  let control;
  if (field.kind === 'longtext') {
    control = (
      <Textarea id={id} rows={3} value={text} autoFocus={autoFocus} onChange={(event) => onChange(event.target.value)} {...invalid} />
    );
  } else if (field.kind === 'status') {
    control = (
      <Select value={text} onValueChange={onChange}>
        <SelectTrigger id={id} {...invalid}>
          <SelectValue placeholder={`Choose ${field.label.toLowerCase()}…`} />
        </SelectTrigger>
        <SelectContent>
          {(field.options ?? []).map((option) => (
            <SelectItem key={option} value={option}>
              {option}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    );
  } else {
    control = (
      <Input
        id={id}
        type={inputTypes[field.kind] ?? 'text'}
        inputMode={field.kind === 'money' ? 'decimal' : undefined}
        step={field.kind === 'money' ? '0.01' : field.kind === 'number' ? 'any' : undefined}
        placeholder={placeholders[field.kind]}
        autoComplete={field.kind === 'email' ? 'email' : 'off'}
        autoFocus={autoFocus}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        {...invalid}
      />
    );
  }

  return (
    <div className={cn('flex flex-col gap-2', wide && 'sm:col-span-2')}>
      <Label htmlFor={id} className="justify-between">
        {field.label}
        {!field.required && <span className="text-xs font-normal text-muted-foreground">Optional</span>}
      </Label>
      {control}
      {error && (
        <p id={errorId} className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
