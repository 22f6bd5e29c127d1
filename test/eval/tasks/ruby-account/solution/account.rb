# A bank account that keeps its balance (in cents) and its history consistent.
class Account
  # Every error an account raises on purpose.
  class Error < StandardError; end
  # A withdrawal or transfer beyond the overdraft limit.
  class InsufficientFunds < Error; end
  # An operation on a closed account.
  class Closed < Error; end

  attr_reader :balance

  def initialize(overdraft_limit: 0)
    @overdraft_limit = overdraft_limit
    @balance = 0
    @history = []
    @closed = false
  end

  def history
    @history.map(&:dup)
  end

  def deposit(amount)
    check_open(amount)
    credit(:deposit, amount)
  end

  def withdraw(amount)
    check_withdrawal(amount)
    debit(:withdraw, amount)
  end

  def transfer(amount, to:)
    raise ArgumentError, 'cannot transfer to the same account' if to.equal?(self)

    check_withdrawal(amount)
    to.check_open(amount)
    debit(:transfer_out, amount)
    to.credit(:transfer_in, amount)
  end

  def close
    raise Closed, 'the account is already closed' if @closed
    raise Error, "cannot close an account with a balance of #{@balance}" unless @balance.zero?

    @closed = true
  end

  def closed?
    @closed
  end

  protected

  def check_open(amount)
    raise ArgumentError, "amount must be a positive integer, got #{amount.inspect}" unless amount.is_a?(Integer) && amount.positive?
    raise Closed, 'the account is closed' if @closed
  end

  def credit(type, amount)
    @balance += amount
    @history << [type, amount]
    self
  end

  private

  def check_withdrawal(amount)
    check_open(amount)
    raise InsufficientFunds, "balance #{@balance} cannot cover #{amount}" if @balance - amount < -@overdraft_limit
  end

  def debit(type, amount)
    @balance -= amount
    @history << [type, amount]
    self
  end
end
